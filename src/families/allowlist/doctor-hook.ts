import type { DoctorInput } from '../../parts/diagnosis/doctor.ts';
import { gatewayFrom } from '../../parts/client/container-fetch.ts';
import { required } from '../../core/define.ts';
import { check } from '../../core/probes.ts';
import type { Check, ScenarioContext } from '../../core/types.ts';
import { deployWebhookWorkflow, type WebhookWorkflow } from '../../core/workflows.ts';
import { proxyOf } from '../proxy/requests.ts';
import type { Route } from './routes.ts';

/**
 * The doctor runs on the host, and the address n8n sees the host at is not the listed client's: so
 * it gets a webhook of its own, the same workflow with the host's address on its list, the one a
 * user would run the doctor from (a machine on the list). Called through the same proxy as the
 * listed client's, refused or admitted for the same reason.
 */
export interface DoctorHook {
  /** The host's address as n8n sees it straight: the stack network's gateway, where Docker's published ports reach a container from. */
  address: string;
  hook: WebhookWorkflow;
}

/** The doctor's webhook deployed, with the proof that the proxy is not on its list too (n8n 1.x matches the list by substring). */
export async function deployDoctorHook(ctx: ScenarioContext, proxyAddress: string): Promise<{ doctor: DoctorHook; proof: Check }> {
  const address = await gatewayFrom(required(ctx.stack.proxy?.tap, 'the stack has no tap (the client container)'));
  const hook = await deployWebhookWorkflow(ctx, 'webhook-ip-allowlist', { allowlist: address });
  const proof = check(
    "the doctor's machine (this host) is on the list of a webhook of its own: its address as n8n sees it straight, the stack network's gateway, which the proxy's does not contain (n8n 1.x matches by substring)",
    !proxyAddress.includes(address),
    `ipWhitelist "${address}" on /webhook/${hook.webhookPath}; the proxy at ${proxyAddress}`,
  );
  return { doctor: { address, hook }, proof };
}

/** What a user on a listed machine hands the doctor: the webhook's URL through the proxy (n8n's own URL, --url, is the default input). */
export function doctorWebhookInput(ctx: ScenarioContext, route: Route, doctor: DoctorHook | undefined): Partial<DoctorInput> {
  const proxy = proxyOf(ctx, route.kind).server.getBaseUrl();
  return { webhook: { url: `${proxy}/webhook/${required(doctor, "the doctor's webhook").hook.webhookPath}`, method: 'GET' } };
}
