// One Intel 5300 beamforming-feedback record as the project's writer (src/core/formats/intel5300Writer.ts) takes
// it. Declared here structurally so the simulator's physics and impairment stages do not depend on the writer.
export interface SimRecord {
  timestamp_low: number;
  bfee_count: number;
  Nrx: number;
  Ntx: number;
  rssi_a: number;
  rssi_b: number;
  rssi_c: number;
  noise: number;
  agc: number;
  antenna_sel: number;
  fake_rate_n_flags: number;
  /** Raw int8 values interleaved re, im in payload order: 30 subcarriers × rx × tx (tx fastest). */
  csi: Int8Array;
}
