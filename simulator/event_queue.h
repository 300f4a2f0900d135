#pragma once
// EventQueue: the simulator's virtual-time agenda. Events run in (time, class, sequence) order,
// so simultaneous events run in a fixed order (minute ends, then control, then requests; each
// class in the order scheduled), as in ns-3. Owned by one run; single-threaded.

#include "simulator/dimension.h"
#include "workloads/spec.h"

#include <cstdint>
#include <queue>
#include <vector>

namespace capsim {

enum class EventClass { MinuteEnd = 0, Control = 1, Request = 2 };

enum class QueuedKind { MinuteEnd, Arrival, Retry, CapacityEffective, TimedEvent, ModeEffective, Backfill,
    // Stream consumers (stream_consumers.cpp): a reader's poll, its next writesTo write, its batch's end.
    StreamPoll, StreamWrite, StreamBatchEnd,
    // Global tables (global_tables.cpp): a regionOutage event's end (index: the event).
    RegionOutageEnd,
    // Fluid fidelity (fluid_flows.cpp): the step with this index.
    FluidStep };

struct QueuedEvent {
    SimTime time = 0;
    EventClass cls = EventClass::Control;
    std::uint64_t sequence = 0;
    QueuedKind kind = QueuedKind::MinuteEnd;
    std::size_t index = 0; // workload, pending request slot, table, scenario event, or stream reader
    Dimension dimension = Dimension::Read; // CapacityEffective
    double value = 0; // CapacityEffective: units in force
};

class EventQueue {
public:
    void schedule(SimTime time, EventClass cls, QueuedKind kind, std::size_t index, Dimension dimension = Dimension::Read,
        double value = 0)
    {
        m_queue.push({ time, cls, m_nextSequence++, kind, index, dimension, value });
    }
    bool empty() const { return m_queue.empty(); }
    const QueuedEvent& top() const { return m_queue.top(); }
    void pop() { m_queue.pop(); }

private:
    struct Later {
        bool operator()(const QueuedEvent& a, const QueuedEvent& b) const
        {
            if (a.time != b.time)
                return a.time > b.time;
            if (a.cls != b.cls)
                return a.cls > b.cls;
            return a.sequence > b.sequence;
        }
    };
    std::priority_queue<QueuedEvent, std::vector<QueuedEvent>, Later> m_queue;
    std::uint64_t m_nextSequence = 0;
};

} // namespace capsim
