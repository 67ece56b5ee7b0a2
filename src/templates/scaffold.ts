/**
 * `keypolicy templates new DIR`: the files of a new template pack. Each example uses every kind of field
 * a template can read, so `keypolicy templates --templates DIR --check` passes on the pack as made and
 * shows the person what to copy.
 */

const MARKDOWN_TEMPLATE = `---
id: example-policy
title: '{{WorkerTitle}} Example Policy'
version: 1.0.0
description: An example policy made by keypolicy templates new; rename it, reword it, or delete it.
nations: [england, wales]
services: [supported-living, care-home, domiciliary]
partials:
  - contacts
---
{{! Headings are ## and ### without numbers: keypolicy adds the title block, numbering and document control. }}
## Purpose

This policy sets out how {{organisation.name}} makes sure each {{person}} has a named {{worker}}, and what
{{people}} and their families can expect. {{Workers}} are accountable to the {{manager}}.

## Scope

{{#if variant.wales}}
It applies to every service {{organisation.name}} runs in Wales, regulated by {{regulator.name}} ({{regulator.short}}).
{{else}}
It applies to every service {{organisation.name}} runs in England, regulated by the {{regulator.name}} ({{regulator.short}}).
{{/if}}

## Reviews

Each {{plan}} is reviewed at least {{every keyWorking.planReviewIntervalMonths}}. This policy is reviewed
{{every dates.reviewIntervalMonths}}; this version is dated {{date dates.version}} and is next due for review
on {{date dates.nextReview}}.

{{#if documentControl.reviewTriggers}}
It is reviewed sooner after:

{{#each documentControl.reviewTriggers}}
- {{this}}
{{/each}}
{{/if}}

## Contacts

{{> contacts}}
`;

const PARTIAL = `Questions about this policy go to {{owner}} at {{organisation.name}}.
`;

const TEXT_TEMPLATE = `{{org_field_logo}}
{{org_field_name}}
Registration Number: {{org_field_registration_no}}
Example Text Policy
1. Purpose
This plain-text template shows how a policy kept as a text file reads in keypolicy. Each line is a paragraph.
Numbered lines are headings, numbered as written:
- a line starting with "-", "•" or "o" is a list item;
- fields such as {{org_field_name}} or {{organisation.name}} are filled from the profile.
2. Responsibilities
2.1. The manager
{{org_field_registered_manager_first_name}} {{org_field_registered_manager_last_name}} makes sure every {{person}} has a named {{worker}}.
2.2. The {{worker}}
The {{worker}} co-ordinates the care of each {{person}} assigned to them.
3. Review
Reviewed on: {{last_update_date}}
Next Review Date: {{next_review_date}}
Copyright © {{current_year}} – {{org_field_name}}.
`;

const README = `# Template pack

A folder of policy templates for keypolicy, made by \`keypolicy templates new\`. Use it with
\`keypolicy build --templates DIR\`, or list it in a profile's \`templates:\`. Check it with
\`keypolicy templates --templates DIR --check\`.

- \`example-policy.md\`: a Markdown template. The front matter (between the \`---\` lines) gives its id,
  title, version, the nations and services it applies to, and the partials it uses. The body is Markdown
  with fields: profile fields (\`{{organisation.name}}\`), the vocabulary helpers (\`{{worker}}\`,
  \`{{Workers}}\`, \`{{person}}\`, \`{{plan}}\`, \`{{manager}}\`), the regulator (\`{{regulator.short}}\`),
  dates (\`{{date dates.nextReview}}\`), blocks (\`{{#if variant.wales}}\`, \`{{#each …}}\`) and partials
  (\`{{> contacts}}\`, from \`partials/\`). Headings are \`##\` without numbers: keypolicy numbers them.
- \`example-text-policy.txt\`: a plain-text template, as other policy systems keep them. Every line is its
  own paragraph; \`1.\` and \`4.1.\` lines are headings, numbered as written; \`-\`, \`•\` and \`o\` lines are
  list items. The opening lines that repeat the logo, organisation name, registration number and title
  are not printed twice: the title line becomes the policy's title. \`{{org_field_*}}\` fields work, and
  so does every field a Markdown template can read. Without front matter its id is its file name and it
  applies to every nation and service.
- Word templates (\`.docx\`) with the same fields can be added too.

A template that reads a field the profile does not have stops the build with the file, line and column;
wrap optional fields in \`{{#if …}}\`. Give each template a new \`version\` when you change it: a new major
version starts a new major version of the policy.
`;

/** The files of a new pack, by path inside it. */
export const SCAFFOLD_FILES: Readonly<Record<string, string>> = {
  'README.md': README,
  'example-policy.md': MARKDOWN_TEMPLATE,
  'example-text-policy.txt': TEXT_TEMPLATE,
  'partials/contacts.md': PARTIAL,
};
