import { setup } from './__testUtils__/setup';

describe('journal fields', () => {
  const newIncident = async (sim: ReturnType<typeof setup>) => {
    const res = await sim.post('/api/now/table/incident', {
      short_description: 'journal test',
      work_notes: 'first note',
    });
    return res.body.result.sys_id as string;
  };

  it('renders work_notes with display_value=true as ServiceNow does: newest first, under header lines', async () => {
    const sim = setup();
    const id = await newIncident(sim);
    sim.advance(65);
    await sim.patch(`/api/now/table/incident/${id}`, {
      work_notes: 'second note\non two lines',
      comments: 'a comment for the caller',
    });

    const res = await sim.get(
      `/api/now/table/incident/${id}?sysparm_fields=work_notes,comments,comments_and_work_notes&sysparm_display_value=true`,
    );
    expect(res.body.result.work_notes).toBe(
      '2025-03-10 12:01:05 - System Administrator (Work notes)\nsecond note\non two lines\n\n' +
        '2025-03-10 12:00:00 - System Administrator (Work notes)\nfirst note\n\n',
    );
    expect(res.body.result.comments).toBe(
      '2025-03-10 12:01:05 - System Administrator (Additional comments)\na comment for the caller\n\n',
    );
    expect(
      res.body.result.comments_and_work_notes.split('\n\n').filter(Boolean),
    ).toHaveLength(3);
  });

  it('keeps the order of entries written in the same second, newest first', async () => {
    const sim = setup();
    const id = await newIncident(sim);
    await sim.patch(`/api/now/table/incident/${id}`, { work_notes: 'B' });
    await sim.patch(`/api/now/table/incident/${id}`, { work_notes: 'C' });
    const res = await sim.get(
      `/api/now/table/incident/${id}?sysparm_fields=work_notes&sysparm_display_value=true`,
    );
    const texts = res.body.result.work_notes
      .split('\n\n')
      .filter(Boolean)
      .map((e: string) => e.split('\n')[1]);
    expect(texts).toEqual(['C', 'B', 'first note']);
  });

  it('returns "" as the value, and the journal as display_value with all', async () => {
    const sim = setup();
    const id = await newIncident(sim);
    const plain = await sim.get(
      `/api/now/table/incident/${id}?sysparm_fields=work_notes`,
    );
    expect(plain.body.result.work_notes).toBe('');
    const all = await sim.get(
      `/api/now/table/incident/${id}?sysparm_fields=work_notes&sysparm_display_value=all`,
    );
    expect(all.body.result.work_notes).toEqual({
      display_value:
        '2025-03-10 12:00:00 - System Administrator (Work notes)\nfirst note\n\n',
      value: '',
    });
  });

  it('stores each entry as a readable sys_journal_field row', async () => {
    const sim = setup();
    const id = await newIncident(sim);
    const res = await sim.get(
      `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}^element=work_notes^valueLIKEfirst`,
    );
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual([
      expect.objectContaining({
        element_id: id,
        element: 'work_notes',
        name: 'incident',
        value: 'first note',
        sys_created_by: 'admin',
      }),
    ]);
  });

  describe('journalAcl', () => {
    it('refused: 403 with ServiceNow error envelope, on the table and on a row', async () => {
      const sim = setup();
      const id = await newIncident(sim);
      const [row] = sim.store.journal(id);
      sim.faults.journalAcl = 'refused';
      for (const path of [
        `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}`,
        `/api/now/table/sys_journal_field/${row.sys_id}`,
      ]) {
        const res = await sim.get(path);
        expect(res.status).toBe(403);
        expect(res.body).toEqual({
          error: {
            message: 'User Not Authorized',
            detail: 'User is unauthorized to access table: sys_journal_field',
          },
          status: 'failure',
        });
      }
      // the incident's own journal stays readable
      const own = await sim.get(
        `/api/now/table/incident/${id}?sysparm_fields=work_notes&sysparm_display_value=true`,
      );
      expect(own.body.result.work_notes).toContain('first note');
    });

    it('filtered: 200 with the rows left out (404 for one row)', async () => {
      const sim = setup();
      const id = await newIncident(sim);
      const [row] = sim.store.journal(id);
      sim.faults.journalAcl = 'filtered';
      const res = await sim.get(
        `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.result).toEqual([]);
      expect(
        (await sim.get(`/api/now/table/sys_journal_field/${row.sys_id}`))
          .status,
      ).toBe(404);
      // other tables are not affected
      expect(
        (await sim.get('/api/now/table/incident?sysparm_limit=1')).body.result,
      ).toHaveLength(1);
    });

    it('allowed is the default, and PUT /sim/faults sets the mode', async () => {
      const sim = setup();
      const id = await newIncident(sim);
      await sim.raw.put('/sim/faults').send({ journalAcl: 'refused' });
      expect(
        (
          await sim.get(
            `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}`,
          )
        ).status,
      ).toBe(403);
      await sim.raw.put('/sim/faults').send({});
      expect(
        (
          await sim.get(
            `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}`,
          )
        ).body.result,
      ).toHaveLength(1);
    });
  });
});
