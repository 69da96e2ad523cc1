// One typed error for the signal-processing layer, so callers (CLI, worker, notebooks) can tell bad input to a
// DSP stage (too few antennas, empty recording, impossible filter) from programming errors.

export type DspErrorCode =
  | 'bad-filter' // a filter design that cannot exist (cut-off outside (0, fs/2), bad order)
  | 'bad-window' // STFT window / hop / grid that cannot be evaluated
  | 'too-few-antennas' // CSI ratio / conjugate multiplication need two receive antennas on one NIC
  | 'too-few-packets' // not enough packets for the requested stage
  | 'bad-rate' // no usable packet rate (non-increasing timestamps, zero rate)
  | 'bad-argument'; // an option outside its documented range

export class DspError extends Error {
  override readonly name = 'DspError';
  constructor(
    readonly code: DspErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
  }
}
