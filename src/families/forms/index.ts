import { defineFamily } from '../../core/family.ts';
import { chatScenarios } from './chat.ts';
import { chatUserAuthOtherHost } from './chat-other-host.ts';
import { formScenarios } from './form.ts';
import { formUserAuthRedirect } from './user-auth-form.ts';

export const formsFamily = defineFamily('forms', "Form and Chat Triggers: the trigger's own authentication", [
  ...formScenarios,
  formUserAuthRedirect,
  ...chatScenarios,
  chatUserAuthOtherHost,
]);
