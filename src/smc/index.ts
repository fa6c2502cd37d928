/**
 * transportlab/smc: see the modules of this folder.
 * @module
 */
export {};
