// What the sample workspace of `npm run workbench` and `npm run demo` holds: one simulator preset and the bundled
// GLSDA notebook, so both commands (and the first-hour integration test) run the same experiment on the same data.
'use strict';
const path = require('path');

const root = path.resolve(__dirname, '..');
module.exports = {
  /** Simulator preset (src/core/sim/dataset.ts PRESETS): 108 recordings, 12 per gesture, so the notebook's random
   *  split has train and test samples of every class ('small', 9 recordings, gave 9 train / 0 test). */
  PRESET: 'workbench',
  SEED: 1,
  TEMPLATE: path.join(root, 'experiments', 'templates', 'glsda.csiexp'),
  /** sha256 of glsda.csiexp as earlier versions of the workbench copied it: such an unedited copy is replaced. */
  EARLIER_TEMPLATES: [
    'abc459d55d2eaf3eff81655f53fcf372ef21727cd8a3aefa230920aeb5fe9611',
    '7dda9fe6969f7257359ce1979882cd583974da073358bc6edec77a68dab07487',
    '1dfc1787cfcd62064c7ad6361ac7c3b3fcd32ba14dae82484e97aa4ac88e1719',
    'b69b2ddaafa6b701737478e1486894a51b96a8cdadd1b00e9d869937363454c1',
    'b0b4d3accc0d9c154b2d871b90fec1453402c2998e76ba7d68fc544c79f94bec',
    'e1c76952a027e70cb4cad1eb681972b8937fee30125944729c81aec66ebeda92',
  ],
};
