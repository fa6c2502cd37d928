/**
 * transportlab/diagnostics: see the modules of this folder.
 * @module
 */
export {};
