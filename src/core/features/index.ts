// The feature stage: recordings → the dual-path model input (path A: amplitude + CSI-ratio phase; path B: Doppler),
// and the pooled-DFS and amplitude-statistics features of the baselines. The only stage that reads recordings on
// the way to a model. See README.md beside this file.
export * from './params';
export * from './errors';
export type { PathBlock, Segment } from './blocks';
export { poolRows } from './blocks';
export { activeSubcarriers, occupiedToneRange } from './subcarriers';
export { bridgeZeroRows } from './amplitudePath';
export { MAX_BRIDGED_GAP_S, amplitudeMotionSegment, cropSegment, motionSegment, prepareReceiver, type PreparedReceiver } from './crop';
export {
  readSampleRecordings,
  receiverFeatures,
  recordingFeatures,
  sampleFeatures,
  type ReceiverFeatures,
  type SampleFeatures,
} from './sampleFeatures';
export { buildTensorDataset, type BuildOptions } from './buildDataset';
