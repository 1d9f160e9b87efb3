using System.Numerics;
using System.Runtime.CompilerServices;

namespace Oie.Conntrack.Events;

/// <summary>An entry of a <see cref="MirrorTable{T}"/>: a value type that carries its own 64-bit identity.</summary>
internal interface IMirrorEntry
{
    /// <summary>Who the entry is: equal keys are the same entry.</summary>
    ulong Key { get; }
}

/// <summary>
/// A set of value-type entries by 64-bit key, for a mirror of up to millions of conntrack entries without an object per
/// entry: the entries lie dense in one array (replaying them is a linear scan), and an open-addressing index of
/// positions (linear probing, at most half full, backward-shift deletion so no tombstones pile up under churn) finds
/// them by key. Removing one moves the last entry into its place. About <c>sizeof(T) × 1.5 + 8</c> bytes per entry.
/// </summary>
internal sealed class MirrorTable<T>
    where T : struct, IMirrorEntry
{
    private const int MinimumIndex = 16;

    private T[] _entries;
    private int[] _index; // entry position + 1; 0 = empty
    private int _shift;   // 64 - log2(_index.Length), for Fibonacci hashing
    private int _count;

    public MirrorTable(int capacity = 0)
    {
        _entries = new T[Math.Max(capacity, 4)];
        _index = new int[IndexLengthFor(_entries.Length)];
        _shift = 64 - BitOperations.Log2((uint)_index.Length);
    }

    public int Count => _count;

    /// <summary>The live entries, dense and in no particular order; valid until the table changes.</summary>
    public ReadOnlySpan<T> Entries => _entries.AsSpan(0, _count);

    /// <summary>Bytes held by the two arrays (what the mirror costs in memory).</summary>
    public long AllocatedBytes => ((long)_entries.Length * Unsafe.SizeOf<T>()) + ((long)_index.Length * sizeof(int));

    /// <summary>Adds the entry unless one with its key is there (a flow seen in the dump and in an event counts once).</summary>
    public bool Add(in T entry)
    {
        ulong key = entry.Key;
        int cell = Find(key);
        if (_index[cell] != 0)
        {
            return false;
        }

        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length + (_entries.Length >> 1));
        }

        _entries[_count] = entry;
        _index[cell] = ++_count;
        if (_count * 2 > _index.Length)
        {
            Rehash(_index.Length * 2);
        }

        return true;
    }

    public bool Contains(ulong key) => _index[Find(key)] != 0;

    /// <summary>Removes the entry with <paramref name="key"/>; false (and nothing changes) when there is none.</summary>
    public bool Remove(ulong key, out T removed)
    {
        int cell = Find(key);
        int position = _index[cell] - 1;
        if (position < 0)
        {
            removed = default;
            return false;
        }

        removed = _entries[position];
        int last = _count - 1;
        if (position != last)
        {
            // The last entry fills the hole; its index cell now points at the hole.
            _entries[position] = _entries[last];
            _index[Find(_entries[position].Key)] = position + 1;
        }

        _entries[last] = default;
        _count = last;
        Delete(cell);
        return true;
    }

    /// <summary>Forgets every entry and keeps the arrays (the next dump fills them again).</summary>
    public void Clear()
    {
        Array.Clear(_entries, 0, _count);
        Array.Clear(_index);
        _count = 0;
    }

    private static int IndexLengthFor(int entries) => Math.Max(MinimumIndex, (int)BitOperations.RoundUpToPowerOf2((uint)entries * 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    /// <summary>The cell holding <paramref name="key"/>, or the empty cell where it would go.</summary>
    private int Find(ulong key)
    {
        int mask = _index.Length - 1;
        int cell = Home(key);
        while (true)
        {
            int slot = _index[cell];
            if (slot == 0 || _entries[slot - 1].Key == key)
            {
                return cell;
            }

            cell = (cell + 1) & mask;
        }
    }

    /// <summary>Empties <paramref name="cell"/> and moves later cells of the same probe run back, so a probe never
    /// stops early at the hole.</summary>
    private void Delete(int cell)
    {
        int mask = _index.Length - 1;
        int hole = cell;
        int next = cell;
        while (true)
        {
            next = (next + 1) & mask;
            int slot = _index[next];
            if (slot == 0)
            {
                break;
            }

            int home = Home(_entries[slot - 1].Key);
            // The entry at next may move into the hole unless its home lies cyclically in (hole, next].
            bool stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!stays)
            {
                _index[hole] = slot;
                hole = next;
            }
        }

        _index[hole] = 0;
    }

    private void Rehash(int length)
    {
        _index = new int[length];
        _shift = 64 - BitOperations.Log2((uint)length);
        int mask = length - 1;
        for (int position = 0; position < _count; position++)
        {
            int cell = Home(_entries[position].Key);
            while (_index[cell] != 0)
            {
                cell = (cell + 1) & mask;
            }

            _index[cell] = position + 1;
        }
    }
}
