/**
 * transportlab/data: loaders for the shipped data sets (breast cancer, 8 × 8 digits, MNIST
 * test split) and the IDX / CSV readers behind them.
 * @module
 */
export { dataPath, readMaybeGzip, parseNumericCsv, type NumericTable } from './files.js';
export { loadBreastCancer, type BreastCancerData } from './breastCancer.js';
export { loadDigits, type LabelledImages } from './digits.js';
export { parseIdx, type IdxArray } from './idx.js';
export { loadMnist, type MnistOptions } from './mnist.js';
