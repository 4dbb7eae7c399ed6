import { z } from 'zod';

/** The answer of an export route: a file, CSV or JSON Lines as `format` asks, sent as an attachment. */
export function exportFile(description: string) {
  return {
    description: `${description} CSV (\`text/csv\`, RFC 4180, a header row, cells that a spreadsheet would run as a formula prefixed with \`'\`) or JSON Lines (\`application/x-ndjson\`, one object per line).`,
    contentType: ['text/csv', 'application/x-ndjson'],
    schema: z.string(),
    headers: {
      'content-disposition': {
        description: 'attachment; filename="…" (the export and the UTC time)',
        schema: { type: 'string' as const },
      },
    },
  };
}
