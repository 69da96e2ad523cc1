// Every reader the project has. Detection (detect.ts) asks each one to sniff the file head.
import type { CsiReader } from './reader';
import { intel5300Reader } from './intel5300';

export const READERS: CsiReader[] = [
  intel5300Reader,
];
