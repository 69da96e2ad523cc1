// Export of the student as a standard tfjs layers model: model.json (topology + weights manifest) and one
// weights.bin, written through a tfjs IO handler to plain files, so no tfjs-node is needed to save and any tfjs
// runtime can load it with tf.loadLayersModel. The exported model takes the dual-path input concatenated along
// features ([1, T, F1+F2]: phase first, then Doppler) and returns class logits.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { Tf } from './net';
import type { Student } from './student';

export interface ExportResult { dir: string; modelJson: string; weightsBin: string; bytes: number }

export async function exportStudent(tf: Tf, student: Student, dir: string, meta: Record<string, unknown> = {}): Promise<ExportResult> {
  await fs.mkdir(dir, { recursive: true });
  const modelJson = path.join(dir, 'model.json'), weightsBin = path.join(dir, 'weights.bin');
  let bytes = 0;
  await student.inferenceModel.save(tf.io.withSaveHandler(async (a) => {
    const weightData = a.weightData instanceof ArrayBuffer ? new Uint8Array(a.weightData)
      : new Uint8Array(Buffer.concat((a.weightData ?? []).map(b => new Uint8Array(b))));
    const json = {
      format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null,
      modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      userDefinedMetadata: { ...meta, input: 'concat(phase, doppler) along features', classes: student.shape.classes },
    };
    await fs.writeFile(weightsBin, weightData);
    const text = JSON.stringify(json);
    await fs.writeFile(modelJson, text);
    bytes = weightData.byteLength + Buffer.byteLength(text);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
  }));
  return { dir, modelJson, weightsBin, bytes };
}

/** Loads an exported model back from disk (tests and the "Evaluate on folder" command). */
export async function loadExportedStudent(tf: Tf, dir: string): Promise<import('@tensorflow/tfjs').LayersModel> {
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { weights: import('@tensorflow/tfjs').io.WeightsManifestEntry[] }[] };
  const bin = await fs.readFile(path.join(dir, 'weights.bin'));
  const ab = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: ab }));
}
