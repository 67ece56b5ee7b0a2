// Types for the generated precompiled-templates.js (`npm run generate`).
export interface PrecompiledTemplate {
  body: TemplateSpecification;
  title: TemplateSpecification;
  partials: Record<string, TemplateSpecification>;
}
export declare const PRECOMPILED: Record<string, PrecompiledTemplate | undefined>;
