import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { TextField } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import { REPORTABLE_ENTITIES, entityKindName, entityTitle } from './entities';

/** Picks the affected cluster, namespace or service from the catalog, by typing its name. */
export function EntityChooser(props: {
  value?: Entity;
  onChange: (entity?: Entity) => void;
}) {
  const catalogApi = useApi(catalogApiRef);
  const options = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: REPORTABLE_ENTITIES,
      fields: ['kind', 'metadata', 'spec.type'],
    });
    return items.sort(
      (a, b) =>
        entityKindName(a).localeCompare(entityKindName(b)) ||
        entityTitle(a).localeCompare(entityTitle(b)),
    );
  }, [catalogApi]);

  return (
    <Autocomplete
      options={options.value ?? []}
      loading={options.loading}
      value={props.value ?? null}
      onChange={(_e, entity) => props.onChange(entity ?? undefined)}
      groupBy={entityKindName}
      getOptionLabel={entityTitle}
      getOptionSelected={(a, b) =>
        stringifyEntityRef(a) === stringifyEntityRef(b)
      }
      renderInput={params => (
        <TextField
          {...params}
          label="Affected cluster, namespace or service"
          margin="normal"
          required
          error={!!options.error}
          helperText={
            options.error
              ? `The catalog could not be read: ${options.error.message}`
              : undefined
          }
        />
      )}
    />
  );
}
