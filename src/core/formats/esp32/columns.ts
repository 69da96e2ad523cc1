// The CSV column sets of the ESP32 CSI tools (ESP32-CSI-Tool, esp-csi, esp-csi's C5/C6 tools) and the lookups the
// parser does on a header row.

/** ESP-IDF's wifi_pkt_rx_ctrl_t fields (ESP32 / S2 / S3 / C3), in the order both classic tools print them. */
// prettier-ignore
const RX_CTRL_COLUMNS = [
  'rssi', 'rate', 'sig_mode', 'mcs', 'bandwidth', 'smoothing', 'not_sounding', 'aggregation', 'stbc', 'fec_coding', 'sgi',
  'noise_floor', 'ampdu_cnt', 'channel', 'secondary_channel', 'local_timestamp', 'ant', 'sig_len', 'rx_state',
];

export const ESP32_CSI_TOOL_COLUMNS = ['type', 'role', 'mac', ...RX_CTRL_COLUMNS, 'real_time_set', 'real_timestamp', 'len', 'CSI_DATA'];

export const ESP_CSI_COLUMNS = ['type', 'id', 'mac', ...RX_CTRL_COLUMNS, 'len', 'first_word', 'data'];

export const ESP_CSI_C5_COLUMNS = [
  'type',
  'seq',
  'mac',
  'rssi',
  'rate',
  'noise_floor',
  'fft_gain',
  'agc_gain',
  'channel',
  'local_timestamp',
  'sig_len',
  'rx_state',
  'len',
  'first_word',
  'data',
];

/** Field number of each header column of a column set (all but the CSI array; the last one of a name wins, as in
 *  the header object). */
export const columnIndex = new WeakMap<readonly string[], Map<string, number>>();

export function indexOfColumns(cols: readonly string[]): Map<string, number> {
  let m = columnIndex.get(cols);
  if (!m) {
    m = new Map(cols.slice(0, -1).map((c, i) => [c, i] as [string, number]));
    columnIndex.set(cols, m);
  }
  return m;
}

export function flavourOf(cols: readonly string[]): string {
  if (cols.includes('real_timestamp') || cols.includes('role')) return 'ESP32-CSI-Tool';
  if (cols.includes('fft_gain') || cols.includes('agc_gain')) return 'esp-csi (ESP32-C5/C6)';
  return 'esp-csi';
}
