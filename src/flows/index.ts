/**
 * transportlab/flows: see the modules of this folder.
 * @module
 */
export {};
