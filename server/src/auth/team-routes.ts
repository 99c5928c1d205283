// The site's team for admins: list, add by email (a new account's password is shown once), change a role,
// remove. Mounted behind requireStaff in app.ts, which sets the site and checks auth/policy.ts.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { jsonBody } from '../http/json-body.ts';
import type { StaffEnv } from '../http/middleware/staff-env.ts';
import { audit } from './audit.ts';
import { addTeamMember, changeMemberRole, listTeam, removeMember, TeamError } from './team.ts';
import { newStaffUserSchema, roles } from './users.ts';

const addSchema = newStaffUserSchema.pick({ email: true, role: true });
const roleSchema = z.object({ role: z.enum(roles) });

function teamFailure(error: unknown): never {
  if (!(error instanceof TeamError)) throw error;
  throw new AppError(error.code === 'member_not_found' ? 404 : 409, error.code, error.message);
}

export function teamRoutes(db: Kysely<Database>) {
  return new Hono<StaffEnv>()
    .get('/api/team', async (c) => c.json({ members: await listTeam(db, c.get('site').siteId) }, 200))
    .post('/api/team', jsonBody(addSchema), async (c) => {
      const input = c.req.valid('json');
      const added = await addTeamMember(db, c.get('site').siteId, input).catch(teamFailure);
      await audit(c, 'team.add', added.member.userId, {
        email: added.member.email,
        role: added.member.role,
        newAccount: added.password !== null,
      });
      // The password is in this answer only: nothing stores it in the clear.
      return c.json(added, 201);
    })
    .put('/api/team/:userId', jsonBody(roleSchema), async (c) => {
      const { role } = c.req.valid('json');
      const { before, member } = await changeMemberRole(db, c.get('site').siteId, c.req.param('userId'), role).catch(
        teamFailure,
      );
      await audit(c, 'team.role_change', member.userId, { email: member.email, from: before, to: role });
      return c.json({ member }, 200);
    })
    .delete('/api/team/:userId', async (c) => {
      const removed = await removeMember(db, c.get('site').siteId, c.req.param('userId')).catch(teamFailure);
      await audit(c, 'team.remove', removed.userId, { email: removed.email, role: removed.role });
      return c.body(null, 204);
    });
}
