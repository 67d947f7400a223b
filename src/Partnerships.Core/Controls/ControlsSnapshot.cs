namespace Partnerships.Core.Controls;

/// <summary>
/// What a controls GET (or a dry-run of a PUT) says about one account's controls, in the partner's taxonomy: the stored
/// state, one effective policy per mapping row (<c>translated_verticals</c>) and the content hash.
/// </summary>
public sealed record ControlsSnapshot(MclState State, IReadOnlyList<EffectiveVertical> Effective, string ContentHash);
