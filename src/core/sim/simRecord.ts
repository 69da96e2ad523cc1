// One Intel 5300 beamforming-feedback record, exactly as the project's writer (src/core/formats/intel5300/writer.ts)
// takes it. A type-only alias: the simulator's physics and impairment stages share the reader/writer's record type
// without importing any of their code.
import type { Intel5300Record } from '../formats/intel5300/records';

export type SimRecord = Intel5300Record;
