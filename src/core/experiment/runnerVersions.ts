// The runner's versions and what earlier ones did differently, in one place. Why they exist: a run records the
// runner version that made it, and Evaluate on Folder / the features CLI rebuild a saved run's models and features
// from its spec; a spec leaves defaults unsaid, so the defaults of the version that trained it must be known to
// load its checkpoints. Bump RUNNER_CODE_VERSION when a default that changes a model or its features changes, and add
// the old defaults to EARLIER_RUNNER_DEFAULTS.
import type { FeatureParams } from '../features';

// @2: features dual-path@4 (crop, compression, Doppler-only 'auto' inputs) and Doppler stems in the models.
// @3: every model step is initialised and shuffled with the run's seed (modelSeed); amplitude despiking (Hampel) on by
// default; distilled students default to feature matching without the KL term (DISTILL_DEFAULTS).
// @4: Doppler stems that pool the bands to 4: the teacher's defaults to [16, 16, 16, 16] (was [16, 16]), the student's
// to [8, 8, 8] (was [8]) (teacher.ts TeacherConfig.dopplerStem, student.ts DEFAULT_STUDENT: why); the prior's soft-label
// temperature defaults to τ = 1 (was 0.1; semantics/softLabels.ts DEFAULT_SOFT_LABEL_OPTIONS: why).
export const RUNNER_CODE_VERSION = 'glsda-runner@4';

/**
 * The seed a model step is built and trained with. Since @3 it is the run's seed for every model step, so models of
 * one architecture (the student and the equal-size CE baseline; the teacher and its controls where their shapes agree)
 * start from the same weights and see the same batches: their comparison is paired, and what differs is only the
 * objective. Runners before @3 used seed + step index, which made that comparison depend on where a step sat in
 * the spec (measured: docs/decisions.md, "paired seeds").
 */
export function modelSeed(runSeed: number, stepIndex: number, runner: string = RUNNER_CODE_VERSION): number {
  return EARLIER_RUNNER_DEFAULTS[runner]?.seedPlusStepIndex ? runSeed + stepIndex : runSeed;
}

/**
 * Where a run of an earlier runner version was built differently from today's defaults, what it used: evaluateSaved
 * rebuilds such a run's models (and features) with these, so its checkpoints still load. The features themselves
 * are then today's code with the old settings (dual-path@3 resampled without phase alignment), not bit-identical.
 */
export const EARLIER_RUNNER_DEFAULTS: Record<
  string,
  {
    features: Partial<FeatureParams>;
    /** The teacher's default Doppler stem then (and the student's, unless studentDopplerStem says otherwise). */
    dopplerStem?: number[];
    studentDopplerStem?: number[];
    seedPlusStepIndex?: boolean;
  }
> = {
  'glsda-runner@1': {
    features: { crop: 'none', dopplerCompress: 1, inputs: 'both', despike: 'none' },
    dopplerStem: [],
    seedPlusStepIndex: true,
  },
  'glsda-runner@2': { features: { despike: 'none' }, dopplerStem: [16, 16], studentDopplerStem: [8], seedPlusStepIndex: true },
  'glsda-runner@3': { features: {}, dopplerStem: [16, 16], studentDopplerStem: [8] },
};
