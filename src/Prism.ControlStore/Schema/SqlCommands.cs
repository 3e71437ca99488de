using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Prism.ControlStore.Schema;

/// <summary>Plain SQL on a context's connection and current transaction, for what LINQ does not express.</summary>
internal static class SqlCommands
{
    public static async Task<int> ExecuteAsync(
        ControlStoreContext context, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = await CreateAsync(context, sql, parameters, cancellationToken);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<List<long>> QueryLongsAsync(ControlStoreContext context, string sql, CancellationToken cancellationToken)
    {
        await using var command = await CreateAsync(context, sql, [], cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }

    private static async Task<DbCommand> CreateAsync(
        ControlStoreContext context, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await context.Database.OpenConnectionAsync(cancellationToken);
        var command = context.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // SQL text is a constant of this assembly; values go in parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
