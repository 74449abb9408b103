// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title FHIR Anchor checkpoint registry
/// @author FHIR Anchor
/// @notice Anchors the heads of an append-only RFC 9162 Merkle log of FHIR resource versions,
///         optionally single leaves, and consent decisions. Only hashes, tree sizes, CIDs of
///         encrypted archives and keyed hashes (HMACs computed off-chain) are ever stored here:
///         nothing on chain identifies a patient or lets anyone test a guess about one.
/// @dev Deliberately minimal: no upgradeability, no payable functions, no external calls.
///      Every state change emits an event so the whole history can be rebuilt from logs.
contract FhirAnchor {
    /// @notice A signed tree head of the log as recorded on chain.
    /// @dev Packed into two storage slots: sizes and block data in one, the root in the other.
    struct Checkpoint {
        uint64 treeSize;
        uint64 blockNumber;
        uint64 timestamp;
        bytes32 rootHash;
    }

    /// @notice The latest decision recorded for one consent.
    /// @dev Packed into two storage slots (4 x 64 bits would not leave room for the flags,
    ///      hence a 48-bit block number, which lasts millennia even at one block per millisecond).
    struct ConsentDecision {
        bytes32 decisionHash;
        uint64 version;
        uint64 periodStart;
        uint64 periodEnd;
        uint48 blockNumber;
        bool permit;
        uint8 status;
    }

    /// @notice One decision of a batch for recordConsentDecisions; every field means what the
    ///         argument of the same name of recordConsentDecision means.
    struct ConsentDecisionInput {
        bytes32 consentKey;
        uint64 consentVersion;
        bytes32 decisionHash;
        bytes32 patientKey;
        bytes32[] granteeKeys;
        bytes32[] purposeCodes;
        bool permit;
        uint8 status;
        uint64 periodStart;
        uint64 periodEnd;
    }

    /// @notice The account allowed to manage writers and hand over ownership.
    address public owner;

    /// @dev Accounts allowed to call checkpoint, recordArchive, anchorLeaf and recordConsentDecision.
    mapping(address => bool) private _writers;

    /// @dev Sorted by treeSize (strictly increasing), so checkpointBySize can binary-search it
    ///      instead of paying for a second storage write per checkpoint in a size index.
    Checkpoint[] private _checkpoints;

    /// @dev Leaf hashes anchored one by one (per-version mode), by leaf index.
    mapping(uint64 => bytes32) private _leaves;

    /// @dev The smallest leaf index anchorLeaf still accepts.
    uint64 private _nextLeafIndex;

    /// @dev The latest decision per consent key.
    mapping(bytes32 => ConsentDecision) private _consentDecisions;

    /// @notice Ownership moved from `previousOwner` to `newOwner` (previousOwner is zero at deployment).
    /// @param previousOwner the former owner
    /// @param newOwner the new owner
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice `writer` may now call the writing functions.
    /// @param writer the account added to the allow-list
    event WriterAdded(address indexed writer);

    /// @notice `writer` may no longer call the writing functions.
    /// @param writer the account removed from the allow-list
    event WriterRemoved(address indexed writer);

    /// @notice The log head of `treeSize` leaves with root `rootHash` was anchored as checkpoint `index`.
    /// @param index zero-based position of the checkpoint in this contract
    /// @param treeSize number of leaves in the tree
    /// @param rootHash RFC 9162 root hash of those leaves
    event Checkpointed(uint256 indexed index, uint64 indexed treeSize, bytes32 rootHash);

    /// @notice Leaves [fromSize, toSize) of the log are archived, encrypted, under content id `cid`.
    /// @param fromSize first leaf index covered by the archive (inclusive)
    /// @param toSize tree size at the end of the archive (exclusive upper leaf index)
    /// @param cid the archive's IPFS CID in binary form
    event Archived(uint64 fromSize, uint64 toSize, bytes cid);

    /// @notice The salted leaf hash `leafHash` of leaf `leafIndex` was anchored on its own.
    /// @param leafIndex zero-based leaf index in the log
    /// @param leafHash the RFC 9162 leaf hash
    event LeafAnchored(uint64 indexed leafIndex, bytes32 leafHash);

    /// @notice A consent decision was recorded; all keys are HMACs computed off-chain.
    /// @param consentKey keyed hash identifying the consent
    /// @param consentVersion version of the consent the decision was made from
    /// @param decisionHash hash of the full canonical decision record
    /// @param patientKey keyed hash of the patient
    /// @param granteeKeys keyed hashes of the grantees (actors the consent applies to)
    /// @param purposeCodes hashes of the purpose-of-use codes
    /// @param permit true for a permit, false for a deny
    /// @param status FHIR Consent.status code (see docs/contract.md)
    /// @param periodStart start of the consent period, Unix seconds, 0 if open
    /// @param periodEnd end of the consent period, Unix seconds, 0 if open
    event ConsentDecisionRecorded(
        bytes32 indexed consentKey,
        uint64 consentVersion,
        bytes32 decisionHash,
        bytes32 patientKey,
        bytes32[] granteeKeys,
        bytes32[] purposeCodes,
        bool permit,
        uint8 status,
        uint64 periodStart,
        uint64 periodEnd
    );

    /// @notice The caller is not the owner.
    /// @param caller the rejected caller
    error NotOwner(address caller);

    /// @notice The caller is not on the writer allow-list.
    /// @param caller the rejected caller
    error NotWriter(address caller);

    /// @notice The zero address cannot own the contract or write to it.
    error ZeroAddress();

    /// @notice A checkpoint must cover strictly more leaves than the latest one; a retried or
    ///         duplicated checkpoint therefore reverts instead of being recorded twice.
    /// @param treeSize the rejected tree size
    /// @param latestTreeSize tree size of the latest checkpoint
    error TreeSizeNotIncreasing(uint64 treeSize, uint64 latestTreeSize);

    /// @notice An archive range must satisfy fromSize < toSize <= tree size of the latest checkpoint.
    /// @param fromSize the rejected start
    /// @param toSize the rejected end
    /// @param treeSize the tree size the range must fit into
    error InvalidArchiveRange(uint64 fromSize, uint64 toSize, uint64 treeSize);

    /// @notice recordArchive needs a non-empty CID.
    error EmptyArchiveCid();

    /// @notice Checkpoint `index` does not exist.
    /// @param index the requested index
    /// @param count number of checkpoints
    error CheckpointIndexOutOfRange(uint256 index, uint256 count);

    /// @notice Leaves must be anchored in strictly increasing index order.
    /// @param leafIndex the rejected index
    /// @param nextLeafIndex the smallest index still accepted
    error LeafIndexNotIncreasing(uint64 leafIndex, uint64 nextLeafIndex);

    /// @notice Decisions of a consent must be recorded in strictly increasing version order.
    /// @param consentKey the consent
    /// @param consentVersion the rejected version
    /// @param latestVersion the version already recorded
    error ConsentVersionNotIncreasing(bytes32 consentKey, uint64 consentVersion, uint64 latestVersion);

    /// @notice A consent period must not end before it starts.
    /// @param periodStart the start
    /// @param periodEnd the end
    error InvalidConsentPeriod(uint64 periodStart, uint64 periodEnd);

    /// @dev Reverts with NotOwner unless the caller is the owner.
    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @dev Reverts with NotWriter unless the caller is on the writer allow-list.
    modifier onlyWriter() {
        if (!_writers[msg.sender]) revert NotWriter(msg.sender);
        _;
    }

    /// @notice Makes the deployer the owner and its first writer, so a single-key setup works at once.
    ///         The owner may remove itself as writer later.
    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
        _writers[msg.sender] = true;
        emit WriterAdded(msg.sender);
    }

    /// @notice Hands the contract over to `newOwner`. Writers are unchanged.
    /// @param newOwner the new owner, not zero
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Allows `writer` to anchor. Adding an existing writer changes nothing and emits nothing.
    /// @param writer the account to allow, not zero
    function addWriter(address writer) external onlyOwner {
        if (writer == address(0)) revert ZeroAddress();
        if (_writers[writer]) return;
        _writers[writer] = true;
        emit WriterAdded(writer);
    }

    /// @notice Revokes `writer`. Removing a non-writer changes nothing and emits nothing.
    /// @param writer the account to revoke
    function removeWriter(address writer) external onlyOwner {
        if (!_writers[writer]) return;
        _writers[writer] = false;
        emit WriterRemoved(writer);
    }

    /// @notice Whether `account` is on the writer allow-list.
    /// @param account the account to check
    /// @return true if `account` may anchor
    function isWriter(address account) external view returns (bool) {
        return _writers[account];
    }

    /// @notice Anchors the log head (`treeSize`, `rootHash`) and, if `archiveCid` is not empty, the
    ///         archive of leaves [archiveFromSize, archiveToSize).
    /// @dev Reverts with TreeSizeNotIncreasing unless treeSize exceeds the latest checkpoint's, so a
    ///      re-sent transaction can never record a checkpoint twice.
    /// @param treeSize number of leaves in the tree, greater than the latest checkpoint's
    /// @param rootHash RFC 9162 root hash of the tree
    /// @param archiveFromSize start of the archived range (ignored when archiveCid is empty)
    /// @param archiveToSize end of the archived range, at most treeSize (ignored when archiveCid is empty)
    /// @param archiveCid binary IPFS CID of the encrypted archive, or empty
    function checkpoint(
        uint64 treeSize,
        bytes32 rootHash,
        uint64 archiveFromSize,
        uint64 archiveToSize,
        bytes calldata archiveCid
    ) external onlyWriter {
        uint256 count = _checkpoints.length;
        uint64 latestTreeSize = count == 0 ? 0 : _checkpoints[count - 1].treeSize;
        if (treeSize <= latestTreeSize) revert TreeSizeNotIncreasing(treeSize, latestTreeSize);
        if (archiveCid.length != 0) _checkArchiveRange(archiveFromSize, archiveToSize, treeSize);

        _checkpoints.push(Checkpoint(treeSize, uint64(block.number), uint64(block.timestamp), rootHash));
        emit Checkpointed(count, treeSize, rootHash);
        if (archiveCid.length != 0) emit Archived(archiveFromSize, archiveToSize, archiveCid);
    }

    /// @notice Records the archive of leaves [fromSize, toSize) when its CID arrives after the checkpoint.
    /// @param fromSize first leaf index covered (inclusive)
    /// @param toSize end of the range (exclusive), at most the latest checkpoint's tree size
    /// @param cid binary IPFS CID of the encrypted archive, not empty
    function recordArchive(uint64 fromSize, uint64 toSize, bytes calldata cid) external onlyWriter {
        if (cid.length == 0) revert EmptyArchiveCid();
        uint256 count = _checkpoints.length;
        _checkArchiveRange(fromSize, toSize, count == 0 ? 0 : _checkpoints[count - 1].treeSize);
        emit Archived(fromSize, toSize, cid);
    }

    /// @notice Number of checkpoints recorded so far.
    /// @return the count
    function checkpointCount() external view returns (uint256) {
        return _checkpoints.length;
    }

    /// @notice Checkpoint number `index` (zero-based); reverts with CheckpointIndexOutOfRange if absent.
    /// @param index zero-based checkpoint index
    /// @return treeSize number of leaves
    /// @return rootHash the root hash
    /// @return blockNumber block the checkpoint was recorded in
    /// @return timestamp that block's timestamp, Unix seconds
    function checkpointAt(uint256 index)
        external
        view
        returns (uint64 treeSize, bytes32 rootHash, uint64 blockNumber, uint64 timestamp)
    {
        if (index >= _checkpoints.length) revert CheckpointIndexOutOfRange(index, _checkpoints.length);
        Checkpoint storage c = _checkpoints[index];
        return (c.treeSize, c.rootHash, c.blockNumber, c.timestamp);
    }

    /// @notice The checkpoint of exactly `treeSize` leaves, if one was recorded.
    /// @dev Binary search over the checkpoints, which are sorted by tree size: O(log n) reads, free in eth_call.
    /// @param treeSize the tree size to look up
    /// @return exists false (and all else zero) if no checkpoint has that size
    /// @return rootHash the root hash
    /// @return blockNumber block the checkpoint was recorded in
    /// @return timestamp that block's timestamp, Unix seconds
    function checkpointBySize(uint64 treeSize)
        external
        view
        returns (bool exists, bytes32 rootHash, uint64 blockNumber, uint64 timestamp)
    {
        uint256 low = 0;
        uint256 high = _checkpoints.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            Checkpoint storage c = _checkpoints[mid];
            if (c.treeSize == treeSize) return (true, c.rootHash, c.blockNumber, c.timestamp);
            if (c.treeSize < treeSize) low = mid + 1;
            else high = mid;
        }
        return (false, bytes32(0), 0, 0);
    }

    /// @notice The most recent checkpoint.
    /// @return exists false (and all else zero) if there is none yet
    /// @return index its zero-based index
    /// @return treeSize number of leaves
    /// @return rootHash the root hash
    /// @return blockNumber block the checkpoint was recorded in
    /// @return timestamp that block's timestamp, Unix seconds
    function latestCheckpoint()
        external
        view
        returns (bool exists, uint256 index, uint64 treeSize, bytes32 rootHash, uint64 blockNumber, uint64 timestamp)
    {
        uint256 count = _checkpoints.length;
        if (count == 0) return (false, 0, 0, bytes32(0), 0, 0);
        Checkpoint storage c = _checkpoints[count - 1];
        return (true, count - 1, c.treeSize, c.rootHash, c.blockNumber, c.timestamp);
    }

    /// @notice Anchors one salted leaf hash on its own (per-version mode).
    /// @param leafIndex zero-based leaf index, greater than any anchored before
    /// @param leafHash the RFC 9162 leaf hash
    function anchorLeaf(uint64 leafIndex, bytes32 leafHash) external onlyWriter {
        if (leafIndex < _nextLeafIndex) revert LeafIndexNotIncreasing(leafIndex, _nextLeafIndex);
        _leaves[leafIndex] = leafHash;
        _nextLeafIndex = leafIndex + 1;
        emit LeafAnchored(leafIndex, leafHash);
    }

    /// @notice The leaf hash anchored for `leafIndex`, or zero if none.
    /// @param leafIndex zero-based leaf index
    /// @return the leaf hash
    function leafAt(uint64 leafIndex) external view returns (bytes32) {
        return _leaves[leafIndex];
    }

    /// @notice The smallest leaf index anchorLeaf still accepts (0 before the first leaf).
    /// @return the index
    function nextLeafIndex() external view returns (uint64) {
        return _nextLeafIndex;
    }

    /// @notice Records the decision derived from version `consentVersion` of consent `consentKey`.
    /// @dev Only the latest decision per consent is kept in storage; the event carries the full record.
    /// @param consentKey keyed hash identifying the consent
    /// @param consentVersion version of the consent, greater than the one recorded before
    /// @param decisionHash hash of the full canonical decision record
    /// @param patientKey keyed hash of the patient
    /// @param granteeKeys keyed hashes of the grantees
    /// @param purposeCodes hashes of the purpose-of-use codes
    /// @param permit true for a permit, false for a deny
    /// @param status FHIR Consent.status code (see docs/contract.md)
    /// @param periodStart start of the period, Unix seconds, 0 if open
    /// @param periodEnd end of the period, Unix seconds, 0 if open
    function recordConsentDecision(
        bytes32 consentKey,
        uint64 consentVersion,
        bytes32 decisionHash,
        bytes32 patientKey,
        bytes32[] calldata granteeKeys,
        bytes32[] calldata purposeCodes,
        bool permit,
        uint8 status,
        uint64 periodStart,
        uint64 periodEnd
    ) external onlyWriter {
        ConsentDecision storage d = _consentDecisions[consentKey];
        if (consentVersion <= d.version) revert ConsentVersionNotIncreasing(consentKey, consentVersion, d.version);
        if (periodEnd != 0 && periodEnd < periodStart) revert InvalidConsentPeriod(periodStart, periodEnd);
        _consentDecisions[consentKey] = ConsentDecision(
            decisionHash, consentVersion, periodStart, periodEnd, uint48(block.number), permit, status
        );
        emit ConsentDecisionRecorded(
            consentKey,
            consentVersion,
            decisionHash,
            patientKey,
            granteeKeys,
            purposeCodes,
            permit,
            status,
            periodStart,
            periodEnd
        );
    }

    /// @notice Records several decisions in one transaction, in order, each exactly as
    ///         recordConsentDecision would (same checks, same storage, one ConsentDecisionRecorded
    ///         event each). One refused decision reverts the whole batch.
    /// @dev Saves the 21,000 gas base cost and the call overhead per decision.
    /// @param decisions the decisions, in the order they are to be recorded
    function recordConsentDecisions(ConsentDecisionInput[] calldata decisions) external onlyWriter {
        for (uint256 i = 0; i < decisions.length; i++) {
            _recordConsentDecision(decisions[i]);
        }
    }

    /// @dev The body of recordConsentDecisions for one decision.
    function _recordConsentDecision(ConsentDecisionInput calldata input) private {
        ConsentDecision storage d = _consentDecisions[input.consentKey];
        if (input.consentVersion <= d.version) {
            revert ConsentVersionNotIncreasing(input.consentKey, input.consentVersion, d.version);
        }
        if (input.periodEnd != 0 && input.periodEnd < input.periodStart) {
            revert InvalidConsentPeriod(input.periodStart, input.periodEnd);
        }
        _consentDecisions[input.consentKey] = ConsentDecision(
            input.decisionHash, input.consentVersion, input.periodStart, input.periodEnd, uint48(block.number),
            input.permit, input.status
        );
        emit ConsentDecisionRecorded(
            input.consentKey,
            input.consentVersion,
            input.decisionHash,
            input.patientKey,
            input.granteeKeys,
            input.purposeCodes,
            input.permit,
            input.status,
            input.periodStart,
            input.periodEnd
        );
    }

    /// @notice The latest decision recorded for `consentKey`.
    /// @param consentKey keyed hash identifying the consent
    /// @return exists false (and all else zero) if none was recorded
    /// @return consentVersion the consent version
    /// @return decisionHash hash of the full decision record
    /// @return permit true for a permit
    /// @return status FHIR Consent.status code
    /// @return periodStart start of the period, Unix seconds, 0 if open
    /// @return periodEnd end of the period, Unix seconds, 0 if open
    /// @return blockNumber block the decision was recorded in
    function latestConsentDecision(bytes32 consentKey)
        external
        view
        returns (
            bool exists,
            uint64 consentVersion,
            bytes32 decisionHash,
            bool permit,
            uint8 status,
            uint64 periodStart,
            uint64 periodEnd,
            uint64 blockNumber
        )
    {
        ConsentDecision storage d = _consentDecisions[consentKey];
        return (d.version != 0, d.version, d.decisionHash, d.permit, d.status, d.periodStart, d.periodEnd, d.blockNumber);
    }

    /// @dev Reverts with InvalidArchiveRange unless fromSize < toSize <= treeSize.
    function _checkArchiveRange(uint64 fromSize, uint64 toSize, uint64 treeSize) private pure {
        if (fromSize >= toSize || toSize > treeSize) revert InvalidArchiveRange(fromSize, toSize, treeSize);
    }
}
