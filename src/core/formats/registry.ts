// Every reader the project has. Detection (detect.ts) asks each one to sniff the file head.
import type { CsiReader } from './reader';
import { intel5300Reader } from './intel5300/reader';
import { atherosReader } from './atheros/reader';
import { nexmonReader } from './nexmon/reader';
import { esp32Reader } from './esp32/reader';
import { picoscenesReader } from './picoscenes/reader';

export const READERS: CsiReader[] = [intel5300Reader, atherosReader, nexmonReader, esp32Reader, picoscenesReader];
