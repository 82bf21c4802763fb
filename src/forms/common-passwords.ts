import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths';

// src/forms/common-passwords.txt: the 10,000 most common passwords, lower-cased (see its header for
// the source). Read once at start-up, not per request; looked up case-insensitively.
const listFile = path.join(projectRoot, 'src', 'forms', 'common-passwords.txt');

const commonPasswords: ReadonlySet<string> = new Set(
  fs
    .readFileSync(listFile, 'utf8')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

export const COMMON_PASSWORD_COUNT = commonPasswords.size;

export function isCommonPassword(password: string): boolean {
  return commonPasswords.has(password.toLowerCase());
}
