// Export of the student in two standard formats, both written to plain files (no tfjs-node needed):
// - a tfjs layers model: model.json (topology + weights manifest) and one weights.bin, through a tfjs IO handler;
//   any tfjs runtime loads it with tf.loadLayersModel;
// - model.onnx (opset 13, onnx/layersToOnnx.ts), for ONNX Runtime on phones, edge boards and Python.
// Both take the dual-path input concatenated along features ([N, T, F1+F2]: phase first, then Doppler) and return
// class logits.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { Tf } from '../nets/net';
import type { Student } from '../nets/student';
import { encodeModel } from './onnx/onnxProto';
import { layersModelToOnnx, OnnxExportError, OPSET } from './onnx/layersToOnnx';

/**
 * bytes: the tfjs model's size (model.json + weights.bin), the size the results tables report. onnx / onnxBytes are
 * absent, and onnxError says why, when the network has a layer the ONNX mapping refuses: the tfjs model is still
 * written, so a trained student is never lost to the second format.
 */
export interface ExportResult {
  dir: string;
  modelJson: string;
  weightsBin: string;
  bytes: number;
  onnx?: string;
  onnxBytes?: number;
  onnxError?: string;
}

/** The student's inference model as ONNX bytes; metadata values become the model's metadata_props (as JSON text). */
export function studentToOnnx(tf: Tf, student: Student, meta: Record<string, unknown> = {}): Uint8Array {
  const graph = layersModelToOnnx(student.inferenceModel, `${student.kind}_inference`);
  const metadata: Record<string, string> = {
    input: 'concat(phase, doppler) along features',
    classes: String(student.shape.classes),
    timeSteps: String(student.shape.timeSteps),
    phaseFeatures: String(student.shape.phaseFeatures),
    dopplerFeatures: String(student.shape.dopplerFeatures),
  };
  for (const [k, v] of Object.entries(meta)) metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return encodeModel(graph, {
    producerName: 'csi-workbench',
    producerVersion: `tfjs ${tf.version.tfjs}`,
    opset: OPSET,
    metadata,
    docString: 'GLSDA student (CSI Workbench): dual-path CSI features → class logits',
  });
}

export async function exportStudent(tf: Tf, student: Student, dir: string, meta: Record<string, unknown> = {}): Promise<ExportResult> {
  await fs.mkdir(dir, { recursive: true });
  const modelJson = path.join(dir, 'model.json'),
    weightsBin = path.join(dir, 'weights.bin'),
    onnx = path.join(dir, 'model.onnx');
  let bytes = 0;
  await student.inferenceModel.save(
    tf.io.withSaveHandler(async a => {
      const weightData =
        a.weightData instanceof ArrayBuffer
          ? new Uint8Array(a.weightData)
          : new Uint8Array(Buffer.concat((a.weightData ?? []).map(b => new Uint8Array(b))));
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
        userDefinedMetadata: { ...meta, input: 'concat(phase, doppler) along features', classes: student.shape.classes },
      };
      await fs.writeFile(weightsBin, weightData);
      const text = JSON.stringify(json);
      await fs.writeFile(modelJson, text);
      bytes = weightData.byteLength + Buffer.byteLength(text);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
  let onnxData: Uint8Array;
  try {
    onnxData = studentToOnnx(tf, student, meta);
  } catch (e) {
    if (e instanceof OnnxExportError) return { dir, modelJson, weightsBin, bytes, onnxError: e.message };
    throw e;
  }
  await fs.writeFile(onnx, onnxData);
  return { dir, modelJson, weightsBin, bytes, onnx, onnxBytes: onnxData.byteLength };
}

/** Loads an exported model back from disk (tests and the "Evaluate on folder" command). */
export async function loadExportedStudent(tf: Tf, dir: string): Promise<import('@tensorflow/tfjs').LayersModel> {
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: import('@tensorflow/tfjs').io.WeightsManifestEntry[] }[];
  };
  const bin = await fs.readFile(path.join(dir, 'weights.bin'));
  const ab = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: ab }),
  );
}
