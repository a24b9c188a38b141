import { defineFamily } from '../../core/family.ts';
import { chatScenarios } from './chat.ts';
import { formScenarios } from './form.ts';

export const formsFamily = defineFamily('forms', "Form and Chat Triggers: the trigger's own authentication", [...formScenarios, ...chatScenarios]);
