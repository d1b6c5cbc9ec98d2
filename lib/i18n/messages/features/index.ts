/** Every feature's message catalog, mounted under its own top-level key (e.g. t("keys.create")). */
import docs from "./docs";
import keys from "./keys";
import models from "./models";
import playground from "./playground";
import admin from "./admin";
import usage from "./usage";
import selection from "./selection";
import registry from "./registry";
import classify from "./classify";
import training from "./training";
import trainingRuns from "./training-runs";
import jobs from "./jobs";

export const FEATURES = {
  en: { docs: docs.en, keys: keys.en, models: models.en, playground: playground.en, admin: admin.en, usage: usage.en, selection: selection.en, registry: registry.en, trainingRuns: trainingRuns.en, classify: classify.en, training: training.en, jobs: jobs.en },
  zh: { docs: docs.zh, keys: keys.zh, models: models.zh, playground: playground.zh, admin: admin.zh, usage: usage.zh, selection: selection.zh, registry: registry.zh, trainingRuns: trainingRuns.zh, classify: classify.zh, training: training.zh, jobs: jobs.zh },
};
