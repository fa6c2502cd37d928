/** Stylesheets imported for their side effect (bundled by esbuild into app.css). */
declare module '*.css';
