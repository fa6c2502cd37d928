/**
 * transportlab/targets: see the modules of this folder.
 * @module
 */
export {};
