/**
 * transportlab/nn: see the modules of this folder.
 * @module
 */
export {};
