// Stands in for the source-map package in the bundled CLI (see bundle.mjs): Handlebars catches this
// error and falls back to its own lightweight code builder.
throw new Error('source maps are not used by keypolicy');
