// People as tools: read a person's record with what the caller may do on it, edit a profile (the
// caller's own, or anyone's for those the governance file lets: person.edit), add a person. The
// same use cases as REST and the web profile page, so the same policy answers; naming an
// organisation nobody has named yet adds it (organisation.create).
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { authorize } from '../app/core/gate.ts';
import { type Actor, assertVersion, type Hub } from '../app/core/hub.ts';
import { createPerson, getPerson, setPersonRole, updatePerson } from '../app/people/people.ts';
import { ConfirmEmailInput, CreatePersonInput, SetRoleInput, UpdatePersonInput } from '../app/people/schemas.ts';
import { confirmEmail, resendConfirmation } from '../app/people/email.ts';
import { Handle } from '../domain/community.ts';
import { invalid, PreconditionRequired } from '../domain/errors.ts';
import { withOrganisationNow } from '../domain/people.ts';
import { CanOutput } from './outputs.ts';
import { ADD, READ, REPLACE, UPDATE, attempt, type McpCaller, ok, requireCaller, whoMayUse } from './results.ts';
import { versionRead } from './versions.ts';

const Who = Handle.optional().describe("the person's handle; omitted: yourself");
const PersonOutput = z.looseObject({
  handle: z.string(),
  name: z.string(),
  timeZone: z.string(),
  role: z.string(),
  affiliations: z.array(
    z.looseObject({
      organisation: z.object({ slug: z.string(), name: z.string() }),
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
  ),
  version: z.number().int(),
  can: CanOutput,
  invitation: z
    .object({ mailed: z.boolean(), status: z.string() })
    .optional()
    .describe('a person added with an address: whether their invitation was mailed, in words'),
});
const EditInput = z.object({
  handle: Who,
  ...UpdatePersonInput.shape,
  organisation: z
    .string()
    .max(200)
    .optional()
    .describe(
      'the organisation they are with from today (today’s affiliations end); "" ends them; a name nobody has named yet adds it',
    ),
  version: versionRead(
    "the record's version as you read it (get_person shows it): given, a change made since is refused, not overwritten; needed to replace affiliations, the whole list",
  ).optional(),
});

function handleOf(actor: Actor | null, handle: string | undefined): string {
  if (handle) return handle;
  const me = requireCaller({ actor }, 'naming yourself');
  if (me.kind !== 'person') throw invalid('handle', 'must name the person: the operator has no record of its own');
  return me.person.handle;
}

export function registerPeopleTools(server: McpServer, hub: Hub, caller: McpCaller): void {
  server.registerTool(
    'get_person',
    {
      title: 'Get a person',
      description:
        "A person's record: name, time zone, community role, handles, affiliations with dates, the agreements accepted, for your own record `mail` (your address, whether it is confirmed and where notices are mailed meanwhile), and `can`: what you may do on it now and, for each thing you may not, why: edit and addOrganisation (update_person), setRole (set_person_role); createToken, manageTokens, issueClaim and acceptAgreements are done by the person on the hub's web pages or its command line, not by an assistant (a token or a claim link is a credential, and the agreements are the person's own to accept).",
      inputSchema: z.object({ handle: Who }),
      outputSchema: PersonOutput,
      annotations: READ,
    },
    ({ handle }) => attempt(async () => ok(await getPerson(hub, handleOf(caller.actor, handle), caller.actor))),
  );

  server.registerTool(
    'update_person',
    {
      title: "Edit a person's profile",
      description:
        "Change your profile (or, for a moderator, anyone's): name, time zone, GitHub or Discord handle, e-mail, and the organisation you are with now (or the whole list of affiliations with dates). Naming an organisation nobody has named yet adds it. A new e-mail address is mailed a confirmation link and gets no notices until its owner opens it (the previous confirmed address keeps getting them meanwhile); your own record's `mail` says whether it is confirmed. get_person says in `can.edit` and `can.addOrganisation` whether you may, and shows the record's `version`: send it and a change made since is refused with the current record instead of being overwritten; replacing `affiliations` (the whole list) needs it.",
      inputSchema: EditInput,
      outputSchema: PersonOutput,
      annotations: REPLACE,
    },
    ({ handle, organisation, version, ...body }) =>
      attempt(async () => {
        const actor = requireCaller(caller, 'editing a profile');
        const p = await getPerson(hub, handleOf(actor, handle), actor);
        // the whole list, written over the one kept: only from the version it was read at, so a
        // change made since (an affiliation someone ended) is never silently undone
        if (body.affiliations && version === undefined)
          throw new PreconditionRequired(`replacing ${p.handle}'s affiliations needs the version you last read`);
        const named =
          organisation === undefined || body.affiliations
            ? null
            : withOrganisationNow(
                p.affiliations.map((a) => ({ ...a, organisation: a.organisation.name })),
                organisation,
                hub.clock.now().toISOString().slice(0, 10),
              );
        if (organisation !== undefined && !named && !body.affiliations && !Object.keys(body).length) {
          // already with that organisation (or with none, for ""): nothing to change, so a call
          // made again is answered as the first was, once the caller may edit and the read is current
          authorize(p.can, 'edit');
          if (version !== undefined) assertVersion(p.version, version, `person ${p.handle}`, p);
          return ok(p);
        }
        return ok(
          await updatePerson(
            hub,
            actor,
            p.handle,
            version ?? p.version,
            named ? { ...body, affiliations: named } : body,
          ),
        );
      }),
  );

  server.registerTool(
    'set_person_role',
    {
      title: "Set a person's community role",
      description: `Move someone on the contributor ladder (contributor, member, maintainer, core maintainer, lead maintainer, moderator): get_person's can.setRole says whether you may, and why not; a role you may not give is refused naming those you may. Needs the record's \`version\` get_person showed: a change made since is refused with the record as it is now. ${whoMayUse(hub, 'person.setRole')}`,
      inputSchema: z.object({
        handle: Handle.describe("the person's handle"),
        role: SetRoleInput.shape.role.describe('their new role on the contributor ladder'),
        version: versionRead(
          "the record's version as you read it (get_person shows it): a change made since is refused, not overwritten",
        ),
      }),
      outputSchema: PersonOutput,
      // it replaces the role they held
      annotations: REPLACE,
    },
    ({ handle, role, version }) =>
      attempt(async () =>
        ok(await setPersonRole(hub, requireCaller(caller, "setting a person's role"), handle, version, { role })),
      ),
  );

  server.registerTool(
    'resend_email_confirmation',
    {
      title: 'Mail a new confirmation link',
      description:
        "Mail a new link that confirms the mail address on record (yours, or for a moderator anyone's); notices are mailed to an address only once its owner opens that link. Limited per person and per address; a refusal says from when it may be asked again.",
      inputSchema: z.object({ handle: Who }),
      outputSchema: z.looseObject({ address: z.string().nullable(), confirmed: z.boolean(), status: z.string() }),
      annotations: ADD,
    },
    ({ handle }) =>
      attempt(async () => {
        const actor = requireCaller(caller, 'asking for a confirmation link');
        return ok(await resendConfirmation(hub, actor, handleOf(actor, handle)));
      }),
  );

  server.registerTool(
    'confirm_email',
    {
      title: 'Confirm a mail address',
      description:
        'Confirm a mail address with the token from the link the hub mailed to it (the part after /confirm-email/): from then on notices are mailed there. The token is the proof; it works once, until it expires.',
      inputSchema: ConfirmEmailInput,
      outputSchema: z.object({ handle: z.string(), address: z.string() }),
      annotations: UPDATE,
    },
    ({ token }) => attempt(async () => ok(await confirmEmail(hub, { token }))),
  );

  server.registerTool(
    'add_person',
    {
      title: 'Add a person',
      description: `Give someone a record in the hub: handle, name, time zone, role and affiliations; an organisation nobody has named yet is added with it. An e-mail address given is mailed an invitation (who added them, how to sign in, a link confirming the address) and gets no notices until its owner opens that link; \`invitation\` says whether it was mailed. ${whoMayUse(hub, 'person.create')}`,
      inputSchema: CreatePersonInput,
      outputSchema: PersonOutput,
      annotations: ADD,
    },
    (body) => attempt(async () => ok(await createPerson(hub, requireCaller(caller, 'adding a person'), body))),
  );
}
