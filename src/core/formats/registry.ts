// Every reader the project has. Detection (detect.ts) asks each one to sniff the file head.
import type { CsiReader } from './reader';
import { intel5300Reader } from './intel5300';
import { atherosReader } from './atheros';
import { nexmonReader } from './nexmon';
import { esp32Reader } from './esp32';
import { picoscenesReader } from './picoscenes';

export const READERS: CsiReader[] = [
  intel5300Reader,
  atherosReader,
  nexmonReader,
  esp32Reader,
  picoscenesReader,
];
