import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImportFormat } from '../import-format';
import { createImport } from './create-import';
import { uploadFile } from './upload-file';

/** Starts an import of the file: asks the API for an upload URL, then sends the file there. */
export function useStartImport(onProgress: (sent: number) => void) {
  const queries = useQueryClient();
  return useMutation({
    async mutationFn({ file, format }: { file: File; format: ImportFormat }) {
      const created = await createImport(format);
      onProgress(0);
      await uploadFile(created.upload, file, onProgress);
      return created.import;
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ['imports'] }),
  });
}
