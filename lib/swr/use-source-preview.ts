import useSWR from 'swr';
import { apiFetch } from '@/lib/client/api-fetch';
import { useDebouncedValue } from '@/lib/client/use-debounced-value';
import type { PreviewSourceInput, SourcePreview } from '@/lib/sources/schemas';

const URL = '/api/v1/sources/preview';
export const PREVIEW_DEBOUNCE_MS = 400;

/**
 * The live preview of a source form (POST /api/v1/sources/preview): asked again once the form
 * has not changed for 400 ms. The last answer stays on screen while the next one loads, and when
 * the next one is refused (a half-typed URL), so the panel does not flicker; but not once the
 * connector changed: a request for another system would be shown under this one's name.
 */
export function useSourcePreview(body: PreviewSourceInput) {
  const key = JSON.stringify(body);
  const settled = useDebouncedValue(key, PREVIEW_DEBOUNCE_MS);
  const { data, error, isValidating } = useSWR<{ preview: SourcePreview; connector: string | undefined }>(
    [URL, settled],
    async ([url, json]: [string, string]) => {
      const asked = JSON.parse(json) as PreviewSourceInput;
      const preview = await apiFetch<SourcePreview>(url, { method: 'POST', body: asked });
      return { preview, connector: asked.connector };
    },
    { keepPreviousData: true, revalidateOnFocus: false, shouldRetryOnError: false },
  );
  const current = data && data.connector === body.connector ? data.preview : undefined;
  return {
    preview: current,
    error: error as Error | undefined,
    // Typing, or waiting for the answer: either way what is shown is about to change.
    updating: isValidating || settled !== key,
  };
}
