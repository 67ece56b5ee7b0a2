/**
 * The words every edition prints, whatever its format: the document model and the HTML, PDF and DOCX
 * writers all take them from here, so the three formats say the same thing. English only for now; a
 * Welsh set would be another `Labels`, chosen by the document's language.
 */

/** The printed words of one language. */
export interface Labels {
  /** The mark on a draft: beside its title, in its running header and as its watermark. */
  readonly draft: string;
  /** Follows the draft mark under a draft's title. */
  readonly notApproved: string;
  /** The footer line of a document whose printed copies are uncontrolled. */
  readonly uncontrolled: string;
  /** The logo's alternative text. */
  readonly logoAlt: (organisation: string) => string;
  /** The copyright line when the profile gives none. */
  readonly copyright: (organisation: string) => string;
  /** The footer's version ("Version 1.2"). */
  readonly version: (version: string) => string;
  /** "Page X of Y": the words before the page number, and between it and the page count. */
  readonly page: { readonly before: string; readonly between: string };
  /** The regulator's identifiers, as each regulator names them. */
  readonly registrations: {
    readonly cqcLocation: string;
    readonly cqcProvider: string;
    readonly ciwService: string;
    readonly ciwProvider: string;
  };
  /** The organisation table under the title: who the policy belongs to and who is accountable for it. */
  readonly identity: {
    readonly caption: string;
    readonly organisation: string;
    readonly tradingName: string;
    readonly legalName: string;
    readonly address: string;
    readonly telephone: string;
    readonly email: string;
    readonly website: string;
    readonly accountablePerson: string;
    readonly nominatedIndividual: string;
    readonly responsibleIndividual: string;
  };
  /** The contents page's heading. */
  readonly contents: string;
  /** The document-control table: its caption and row labels and values (no header row: each row is labelled). */
  readonly control: {
    readonly caption: string;
    readonly version: string;
    readonly status: string;
    readonly draft: string;
    readonly approved: string;
    readonly firstIssued: string;
    readonly effectiveDate: string;
    readonly onApproval: string;
    readonly owner: string;
    readonly approver: string;
    readonly approvedBy: string;
    readonly nextReviewDate: string;
    /** Follows a draft's next review date. */
    readonly provisional: string;
  };
  /** The version-history table. */
  readonly history: {
    readonly caption: string;
    readonly columns: readonly [version: string, date: string, summary: string, approvedBy: string];
  };
  /** The sign-off section: its heading and the labels of each signer's block. */
  readonly signOff: {
    readonly heading: string;
    readonly role: string;
    readonly name: string;
    readonly signature: string;
    readonly date: string;
  };
}

/** The English words (en-GB). */
export const LABELS = {
  draft: 'DRAFT',
  notApproved: 'This version has not been approved.',
  uncontrolled: 'Printed copies are uncontrolled: check the current version before use.',
  logoAlt: (organisation: string) => `${organisation} logo`,
  copyright: (organisation: string) => `© ${organisation}`,
  version: (version: string) => `Version ${version}`,
  page: { before: 'Page ', between: ' of ' },
  registrations: {
    cqcLocation: 'CQC location ID',
    cqcProvider: 'CQC provider ID',
    ciwService: 'CIW service registration',
    ciwProvider: 'CIW provider registration',
  },
  identity: {
    caption: 'Organisation',
    organisation: 'Organisation',
    tradingName: 'Trading name',
    legalName: 'Legal name',
    address: 'Address',
    telephone: 'Telephone',
    email: 'E-mail',
    website: 'Website',
    accountablePerson: 'Accountable person',
    nominatedIndividual: 'Nominated individual',
    responsibleIndividual: 'Responsible individual',
  },
  contents: 'Contents',
  control: {
    caption: 'Document control',
    version: 'Version',
    status: 'Status',
    draft: 'Draft',
    approved: 'Approved',
    firstIssued: 'First issued',
    effectiveDate: 'Effective date',
    onApproval: 'On approval',
    owner: 'Owner',
    approver: 'Approver',
    approvedBy: 'Approved by',
    nextReviewDate: 'Next review date',
    provisional: ' (provisional)',
  },
  history: {
    caption: 'Version history',
    columns: ['Version', 'Date', 'Summary of changes', 'Approved by'],
  },
  signOff: { heading: 'Sign-off', role: 'Role', name: 'Name', signature: 'Signature', date: 'Date' },
} as const satisfies Labels;

/** The colours every format shares, as CSS hex colours. */
export const COLOURS = {
  /** The brand colour when the profile gives none (or one that is not `#rrggbb`). */
  brand: '#1f4e79',
  /** Table borders and the footer's rule. */
  rule: '#9aa5b1',
  /** The background of a table's header row. */
  headFill: '#eef2f6',
  /** The draft mark. */
  draft: '#b00020',
  /** Secondary text: registrations and the footer. */
  muted: '#444',
  /** Lines to write on, quotations and the PDF's running header and footer. */
  ink: '#333',
} as const;

/** The brand colour to draw with: the profile's when it is `#rrggbb`, else the default. */
export const brandColour = (colour: string): string =>
  /^#[0-9a-f]{6}$/i.test(colour) ? colour : COLOURS.brand;
