/** The formats an import reads. */
export type ImportFormat = 'csv' | 'jsonl';

/** The import format a file's name says, or undefined for one that is neither. */
export function importFormatOf(fileName: string): ImportFormat | undefined {
  const extension = /\.(csv|jsonl)$/i.exec(fileName)?.[1]?.toLowerCase();
  return extension === 'csv' || extension === 'jsonl' ? extension : undefined;
}
