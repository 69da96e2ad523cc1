// Every reader the project has. Detection (detect.ts) asks each one to sniff the file head.
import type { CsiReader } from './reader';

export const READERS: CsiReader[] = [
];
