/** Every rule of the auditor, in evaluation order (docs/auditor.md). A new rule is one entry here. */
import type { Rule } from "../engine.ts";
import { governanceConcentration } from "./governanceConcentration.ts";
import { oneSidedJob } from "./oneSidedJob.ts";
import { proposalSpam } from "./proposalSpam.ts";
import { reputationRing } from "./reputationRing.ts";
import { starvationWave } from "./starvationWave.ts";
import { sybilBurst } from "./sybilBurst.ts";
import { treasuryOutflow } from "./treasuryOutflow.ts";
import { validatorRisk } from "./validatorRisk.ts";
import { washTrading } from "./washTrading.ts";
import { wealthNearCap } from "./wealthNearCap.ts";

export const RULES: readonly Rule[] = [
  sybilBurst,
  governanceConcentration,
  proposalSpam,
  washTrading,
  reputationRing,
  oneSidedJob,
  wealthNearCap,
  starvationWave,
  validatorRisk,
  treasuryOutflow,
];
