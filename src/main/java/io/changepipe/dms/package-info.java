/**
 * The DMS words that the pipeline parser, the rules and the sources all speak: object-locator patterns
 * ({@link io.changepipe.dms.DmsPattern}) and data type names ({@link io.changepipe.dms.DmsDataType}). It depends on
 * nothing else in changepipe, so each of them can use it without knowing the others. The rule actions themselves are
 * typed once, in {@code definition.TableMappingDef}, which every one of them reads already.
 */
package io.changepipe.dms;
