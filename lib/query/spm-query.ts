import type { z } from 'zod';
import { composeQuery, servicePiece, sourcePiece, windowPiece } from './pieces.ts';

/** `/api/spm`: SPM's numbers for one service's operations (`service`), or per service for all; the page's window. */
export const spmQuerySchema = composeQuery(sourcePiece, servicePiece, windowPiece);

export type SpmQuery = Readonly<z.output<typeof spmQuerySchema>>;
