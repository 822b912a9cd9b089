import { ApiError, ConnectionLost } from '../../../lib/errors';
import type { CreatedImport } from './create-import';

/**
 * PUTs the file to the upload URL the API gave, reporting how much has gone (0–1). XMLHttpRequest,
 * not fetch: only it reports an upload's progress.
 */
export function uploadFile(
  upload: CreatedImport['upload'],
  file: Blob,
  onProgress: (sent: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(request.status, 'upload_refused', `HTTP ${request.status}`));
      }
    };
    request.onerror = () => reject(new ConnectionLost('the file could not be uploaded'));
    request.send(file);
  });
}
