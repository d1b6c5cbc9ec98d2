import type { Translate } from "@/lib/i18n/config";

/** A task's and a modality's names in the reader's language. */
export function taskLabel(t: Translate, task: string): string {
  return task === "ocr" ? t("models.taskOcr") : task === "vad" ? t("models.taskVad") : task === "text" ? t("classify.taskText") : t("registry.taskTensor");
}

export function modalityLabel(t: Translate, modality: string): string {
  return modality === "image" ? t("models.modalityImage") : modality === "audio" ? t("models.modalityAudio") : modality === "text" ? t("classify.modalityText") : t("registry.modalityTensor");
}
