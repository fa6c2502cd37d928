/**
 * transportlab/transport: see the modules of this folder.
 * @module
 */
export {};
