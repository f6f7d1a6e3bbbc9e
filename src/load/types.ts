import type { Diagnostic } from '../diagnostics';

/** An `<?xml-model?>` processing instruction found before the root element. */
export interface XmlModel {
  href: string;
  type?: string;
  schematypens?: string;
}

/** The result of reading one XML file safely (no DTD, no entities, no fetching). */
export interface LoadedXml {
  /** The path as the user gave it (used in diagnostics). */
  file: string;
  /** Absolute path. */
  absPath: string;
  /** The text as read (UTF-8), or '' when it could not be read. */
  text: string;
  /** True when the file was read and is well-formed XML. */
  ok: boolean;
  diagnostics: Diagnostic[];
  rootName?: string;
  rootNamespace?: string;
  xmlModels: XmlModel[];
}
