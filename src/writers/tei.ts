import type { Writer } from './types';

/**
 * The TEI as published: the source's bytes unchanged, so the published file has the same
 * checksum as the validated source and nothing is silently normalised.
 */
export const teiWriter: Writer = {
  format: 'tei',
  description: 'the TEI source as published (<stem>.xml)',
  available: () => ({ ok: true }),
  async write(ctx) {
    return {
      files: [
        {
          path: `${ctx.stem}.xml`,
          data: Buffer.from(ctx.loaded.text, 'utf8'),
          format: 'tei',
          mediaType: 'application/tei+xml',
        },
      ],
      diagnostics: [],
    };
  },
};
