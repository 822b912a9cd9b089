export function RetentionPage() {
  return null;
}
