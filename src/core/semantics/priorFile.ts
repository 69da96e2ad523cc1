// Reading and writing SemanticPrior artifacts on disk. Writes are atomic (temp + rename) so a prior referenced by
// an experiment is never half-written; reads validate shape and content hash (prior.ts) and name the file.
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { SemanticError } from './errors';
import { validateSemanticPrior, type SemanticPrior } from './prior';

export async function readSemanticPrior(file: string): Promise<SemanticPrior> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw new SemanticError('bad-prior', `${file}: cannot read semantic prior (${(e as Error).message})`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SemanticError('bad-prior', `${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  return validateSemanticPrior(json, file);
}

export async function writeSemanticPrior(file: string, prior: SemanticPrior): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.promises.writeFile(tmp, JSON.stringify(prior, null, 1) + '\n');
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}
