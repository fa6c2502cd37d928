/**
 * transportlab/interpolants: see the modules of this folder.
 * @module
 */
export {};
