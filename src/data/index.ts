/**
 * transportlab/data: see the modules of this folder.
 * @module
 */
export {};
