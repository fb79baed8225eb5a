import { readFileSync } from 'node:fs';
import { formatDoctorReport, runDoctor } from '../admin/doctor.js';
import { AdminInputError } from '../admin/errors.js';
import { reencryptKeys } from '../admin/keys.js';
import { type Command, str } from './spec.js';

/** `keys reencrypt` and `doctor` (issue 12, deliverables 5 and 7). */
export const SECURITY_COMMANDS: Command[] = [
  {
    name: 'keys reencrypt',
    summary: 'encrypt every signing key under a new key-encryption key (AES-256-GCM), in one transaction',
    flags: {
      'new-key-file': {
        type: 'string',
        description:
          'file holding the new key-encryption key, 32 bytes as base64 or hex (or GATEHOUSE_NEW_KEY_ENCRYPTION_KEY); the current one comes from GATEHOUSE_KEY_ENCRYPTION_KEY[_FILE]',
      },
    },
    run: async (ctx, flags) => {
      const file = str(flags, 'new-key-file');
      const result = await reencryptKeys(ctx, {
        newKey: file ? readKeyFile(file) : process.env.GATEHOUSE_NEW_KEY_ENCRYPTION_KEY,
        source: '--new-key-file PATH or GATEHOUSE_NEW_KEY_ENCRYPTION_KEY',
      });
      return {
        json: result,
        text: `${result.keys} signing keys encrypted with key-encryption key ${result.kek_fingerprint}; restart every instance with it`,
      };
    },
  },
  {
    name: 'doctor',
    summary: 'audit the deployment against RFC 9700 / OAuth 2.1; exit 1 when anything is at error level',
    flags: {
      'max-key-age-days': { type: 'string', description: 'report active signing keys older than this', default: '90' },
    },
    run: async (ctx, flags) => {
      const maxKeyAgeDays = str(flags, 'max-key-age-days');
      if (maxKeyAgeDays !== undefined && !/^[1-9]\d{0,4}$/.test(maxKeyAgeDays))
        throw new AdminInputError('--max-key-age-days must be a whole number of days from 1 to 99999');
      const report = await runDoctor(ctx, maxKeyAgeDays ? { maxKeyAgeDays: Number(maxKeyAgeDays) } : {});
      return { json: report, text: formatDoctorReport(report), exitCode: report.errors > 0 ? 1 : 0 };
    },
  },
];

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AdminInputError(
      `cannot read --new-key-file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}
