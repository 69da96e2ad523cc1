// Widar3.0 label and room maps. Gesture numbers in Widar3.0 file names mean different gestures in different date
// folders (glsda-widar-notes.md §3.2, from the dataset's own per-date gesture lists), so labels are resolved from
// (date, gesture number), never from the number alone.
//
// Dates 20181205 and 20181209 map gestures per user in the release and the notes do not give that table, so they
// are reported as 'ambiguous-gesture' unless the caller supplies a mapping. The room of 1118/1127/1128 differs
// between two versions of the third-party loader (notes §3.2); we follow the first listing (room 2).

const PP = 'Push&Pull',
  SW = 'Sweep',
  CL = 'Clap',
  SL = 'Slide';
const DIGITS = ['Draw-1', 'Draw-2', 'Draw-3', 'Draw-4', 'Draw-5', 'Draw-6', 'Draw-7', 'Draw-8', 'Draw-9', 'Draw-0'];
const FULL9 = [PP, SW, CL, SL, 'Draw-O(H)', 'Draw-Zigzag(H)', 'Draw-N(H)', 'Draw-Triangle(H)', 'Draw-Rectangle(H)'];

/** date folder → class name of gesture number k at index k−1. */
export const WIDAR_GESTURES_BY_DATE: Readonly<Record<string, readonly string[]>> = {
  '20181109': [PP, SW, CL, SL, 'Draw-Zigzag(V)', 'Draw-N(V)'],
  '20181112': DIGITS,
  '20181116': DIGITS,
  '20181115': [PP, SW, CL, 'Draw-O(V)', 'Draw-Zigzag(V)', 'Draw-N(V)'],
  '20181117': [PP, SW, CL, 'Draw-O(V)', 'Draw-Zigzag(V)', 'Draw-N(V)'],
  '20181118': [PP, SW, CL, 'Draw-O(V)', 'Draw-Zigzag(V)', 'Draw-N(V)'],
  '20181121': [SL, 'Draw-O(H)', 'Draw-Zigzag(H)', 'Draw-N(H)', 'Draw-Triangle(H)', 'Draw-Rectangle(H)'],
  '20181127': [SL, 'Draw-O(H)', 'Draw-Zigzag(H)', 'Draw-N(H)', 'Draw-Triangle(H)', 'Draw-Rectangle(H)'],
  '20181128': [PP, SW, CL, 'Draw-O(H)', 'Draw-Zigzag(H)', 'Draw-N(H)'],
  '20181211': [PP, SW, CL, 'Draw-O(H)', 'Draw-Zigzag(H)', 'Draw-N(H)'],
  '20181130': FULL9,
  '20181204': FULL9,
  '20181208': [PP, SW, CL, SL],
};

/** Numbering the simulator uses (SampleSpec.gesture: "1..9, 20181130 numbering"). */
export const SIMULATOR_GESTURES: readonly string[] = FULL9;

export const WIDAR_ROOM_BY_DATE: Readonly<Record<string, string>> = {
  '20181109': '1',
  '20181112': '1',
  '20181115': '1',
  '20181116': '1',
  '20181121': '1',
  '20181130': '1',
  '20181117': '2',
  '20181118': '2',
  '20181127': '2',
  '20181128': '2',
  '20181204': '2',
  '20181205': '2',
  '20181208': '2',
  '20181209': '2',
  '20181211': '3',
};

/** The 22 Widar3.0 class names in the order of the third-party global label list (notes §3.2). */
export const WIDAR_ALL_CLASSES: readonly string[] = [
  SL,
  PP,
  CL,
  SW,
  'Draw-Zigzag(H)',
  'Draw-O(H)',
  'Draw-N(H)',
  'Draw-Rectangle(H)',
  'Draw-Triangle(H)',
  'Draw-Zigzag(V)',
  'Draw-N(V)',
  'Draw-4',
  'Draw-5',
  'Draw-7',
  'Draw-3',
  'Draw-2',
  'Draw-9',
  'Draw-1',
  'Draw-0',
  'Draw-6',
  'Draw-8',
  'Draw-O(V)',
];

/** Caller-supplied override for dates whose numbering is unknown/per-user. Return undefined to defer. */
export type WidarGestureMap = (date: string | undefined, user: string, gesture: number) => string | undefined;

export type GestureLookup = { className: string } | { ambiguous: string };

export function widarGestureName(date: string | undefined, user: string, gesture: number, override?: WidarGestureMap): GestureLookup {
  const o = override?.(date, user, gesture);
  if (o) return { className: o };
  if (date === undefined) {
    return {
      ambiguous:
        'no Widar date folder above the file, so the gesture numbering is unknown (pass a gesture map, or use a simulator manifest)',
    };
  }
  const table = WIDAR_GESTURES_BY_DATE[date];
  if (!table)
    return { ambiguous: `date folder ${date} has no known gesture numbering (known: ${Object.keys(WIDAR_GESTURES_BY_DATE).join(', ')})` };
  const name = table[gesture - 1];
  if (!name) return { ambiguous: `gesture ${gesture} is outside 1..${table.length} for date ${date}` };
  return { className: name };
}
