// @ts-check
'use strict';
/** Where the project keeps its git-ignored tools and data. */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_DIR = process.env.RECTIFICATION_TOOLS_DIR || path.join(ROOT, '.tools');
const DATA_DIR = process.env.RECTIFICATION_DATA_DIR || path.join(ROOT, '.data');

module.exports = {
  ROOT,
  TOOLS_DIR,
  TOOLS_BIN: path.join(TOOLS_DIR, 'bin'),
  DATA_DIR,
  PG_DATA_DIR: path.join(DATA_DIR, 'postgres'),
  TEMPORAL_DATA_DIR: path.join(DATA_DIR, 'temporal'),
  RUN_DIR: path.join(DATA_DIR, 'run'),
  LOG_DIR: path.join(DATA_DIR, 'logs'),
};
